/** The global WEEE codes of DESIGN.md, in their display order (seeded in categories by 0001_initial.sql). */
export { WEEE_CODES, type WeeeCode } from '../vocabulary.ts';
