// ESLint flat config: typescript-eslint's type-checked rules on every TypeScript file (src, test,
// bench, vitest.config.ts), the untyped recommended rules on the plain-JS files (scripts, bin,
// the config files). Formatting is Prettier's job (.prettierrc.json); layers and import cycles
// are dependency-cruiser's (.dependency-cruiser.cjs).
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    // src/generated/validators.ts: written by scripts/generate-validators.mjs (ajv's code, @ts-nocheck).
    ignores: ['dist/', 'dist-bench/', 'node_modules/', 'coverage/', '.trapheus/', 'src/generated/validators.ts'],
  },
  {
    linterOptions: {
      // An eslint-disable comment that no longer suppresses anything is itself a problem.
      reportUnusedDisableDirectives: 'error',
    },
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  comments.recommended,
  {
    rules: {
      // Every eslint-disable says why, after `--`, so none outlives its reason unnoticed.
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: ['eslint-enable'] }],
    },
  },
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: {
      parserOptions: {
        // Finds each file's tsconfig (tsconfig.json covers src, test, bench, vitest.config.ts).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Type-only imports stay type-only: a type must not pull in a lazily loaded module (the SDK, a command).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Run events and statuses are discriminated unions: a switch over one handles every member or has a default.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // A leading underscore marks a parameter or binding kept on purpose (an interface's signature, a rest sibling).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Off: an `async` method that implements a Promise-returning port (fakes, in-memory stores, steps) turns
      // its throws into rejections; dropping `async` to please this rule would change that behaviour.
      '@typescript-eslint/require-await': 'off',
      // Loosened to match only-throw-error's default: an AbortSignal's reason is typed `any`, and rejecting with
      // it is the Clock contract (as node:timers/promises does).
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Off in tests: vitest's asymmetric matchers (expect.any, expect.stringContaining, …) are typed `any` by
      // design; an `any` that leaks is still caught by no-unsafe-member-access, -call, -argument and -return.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // Everything the user sees goes through the CLI's one output host (src/cli/output.ts), never the console.
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // Plain JavaScript (scripts/*.mjs, bin/, the config files): no type information, so only the untyped rules.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // bin/ is CommonJS (bin/package.json): the entry requires nothing it does not use, for a fast start.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
