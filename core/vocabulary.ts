/** The schema's vocabulary (db/enums.ts), for core and the adapters, which never import db/. */
export * from '../db/enums.ts';
