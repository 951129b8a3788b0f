// SCIM discovery (RFC 7644 §4): what this service provider supports, its resource types and schemas.
import { GROUP_SCHEMA, listResponse, MAX_COUNT, USER_SCHEMA } from './wire';

const meta = (base: string, resourceType: string, path: string) => ({ resourceType, location: `${base}/${path}` });

export function serviceProviderConfig(base: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'SCIM token',
        description: 'Authorization: Bearer scim_… (a token of this workspace, made under POST .../scim/tokens)',
        primary: true,
      },
    ],
    meta: meta(base, 'ServiceProviderConfig', 'ServiceProviderConfig'),
  };
}

export function resourceTypes(base: string) {
  const types = [
    { id: 'User', name: 'User', endpoint: '/Users', schema: USER_SCHEMA, description: 'A member of the workspace' },
    { id: 'Group', name: 'Group', endpoint: '/Groups', schema: GROUP_SCHEMA, description: 'A team of the workspace' },
  ].map((t) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    ...t,
    meta: meta(base, 'ResourceType', `ResourceTypes/${t.id}`),
  }));
  return listResponse(types, types.length, 1);
}

const attr = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: 'string',
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

export function schemas(base: string) {
  const user = {
    id: USER_SCHEMA,
    name: 'User',
    description: 'A member of the workspace',
    attributes: [
      attr('userName', { required: true, uniqueness: 'server' }),
      attr('externalId', { caseExact: true }),
      attr('displayName'),
      attr('name', {
        type: 'complex',
        subAttributes: [attr('givenName'), attr('familyName'), attr('formatted')],
      }),
      attr('emails', {
        type: 'complex',
        multiValued: true,
        subAttributes: [attr('value'), attr('type'), attr('primary', { type: 'boolean' })],
      }),
      attr('active', { type: 'boolean' }),
      attr('roles', {
        type: 'complex',
        multiValued: true,
        subAttributes: [attr('value'), attr('primary', { type: 'boolean' })],
      }),
      attr('groups', {
        type: 'complex',
        multiValued: true,
        mutability: 'readOnly',
        subAttributes: [attr('value'), attr('display')],
      }),
    ],
  };
  const group = {
    id: GROUP_SCHEMA,
    name: 'Group',
    description: 'A team of the workspace, managed by the identity provider',
    attributes: [
      attr('displayName', { required: true, uniqueness: 'server' }),
      attr('externalId', { caseExact: true }),
      attr('members', {
        type: 'complex',
        multiValued: true,
        subAttributes: [attr('value', { mutability: 'immutable' }), attr('display', { mutability: 'readOnly' })],
      }),
    ],
  };
  const all = [user, group].map((s) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    ...s,
    meta: meta(base, 'Schema', `Schemas/${s.id}`),
  }));
  return listResponse(all, all.length, 1);
}
