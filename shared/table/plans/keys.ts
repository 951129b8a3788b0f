export const planCatalogKey = () => ({ PK: 'PLAN', SK: 'CATALOG' });
