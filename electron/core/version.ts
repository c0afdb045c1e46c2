// Kept in step with package.json by a test; the core does not read package.json at run time.
export const APP_NAME = 'Airlock';
export const APP_VERSION = '0.1.0';
