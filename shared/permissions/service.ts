import { ALWAYS_ALLOWED, PERMISSIONS, SCOPES, SECTIONS } from './catalog';

export function catalogView() {
  return {
    sections: SECTIONS.map((section) => ({
      id: section.id,
      label: section.label,
      permissions: PERMISSIONS.filter((p) => p.section === section.id).map((p) => {
        const warning = 'dangerous' in p ? (p.dangerous as string) : null;
        return {
          key: p.key,
          section: p.section,
          label: p.label,
          scoped: p.scoped,
          kind: p.kind,
          dangerous: warning !== null,
          warning,
        };
      }),
    })),
    scopes: [...SCOPES].reverse(),
    alwaysAllowed: [...ALWAYS_ALLOWED],
  };
}
