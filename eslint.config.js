import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import boundaries: bin → api | bot | workers → core → db. A violation fails `npm run lint`. */
const noTests = { regex: '^(\\.\\.?/)+tests/', message: 'Only tests (and benches) import from tests/.' };
const noDb = {
  regex: '^(\\.\\.?/)+db/',
  message: 'Adapters (api/, bot/, workers/) call core verbs; only core/ and bin/ import db/.',
};
const noCore = {
  regex: '^(\\.\\.?/)+core/',
  message: 'db/ never imports core/: core depends on db, not back.',
};
const noAdapters = {
  regex: '^((\\.\\.?/)+(api|bot|workers|bin)/|telegraf($|/)|hono($|/)|@hono/|bullmq$)',
  message: 'core/ knows no transport: no telegraf, hono, bullmq, nor the adapters that use them.',
};
const otherAdapter = (...names) => ({
  regex: `^(\\.\\.?/)+(${names.join('|')})/`,
  message: 'Adapters do not import each other: what they share lives in core/.',
});
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['api/**'], rules: restrict(noDb, noTests, otherAdapter('bot', 'workers', 'bin')) },
  { files: ['bot/**'], rules: restrict(noDb, noTests, otherAdapter('api', 'workers', 'bin')) },
  { files: ['workers/**'], rules: restrict(noDb, noTests, otherAdapter('api', 'bot', 'bin')) },
  { files: ['core/**'], rules: restrict(noAdapters, noTests) },
  {
    files: ['db/**'],
    rules: restrict(noCore, { ...noAdapters, message: 'db/ imports nothing above it.' }, noTests),
  },
  { files: ['bin/**', 'local/**'], rules: restrict(noTests) },
  {
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['bin/**', 'bench/**', 'local/**'],
    rules: { 'no-console': 'off' },
  },
);
