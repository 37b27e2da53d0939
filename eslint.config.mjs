import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.next/',
      'data/',
      '.test-data/',
      'reports/',
      'test-results/',
      'next-env.d.ts',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    // Resolve .ts/.tsx files and the tsconfig '@/' alias, so the layer rules see every import.
    settings: {
      // Dependencies are not ours to lint or to walk for cycles (and some bundles are too deep to parse).
      'import-x/ignore': ['node_modules'],
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'],
          tsconfig: { configFile: `${import.meta.dirname}/tsconfig.json` },
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'import-x/no-cycle': 'error',
      // One-way layers: lib never imports app or components; the app never imports the sandbox;
      // components never import server-only layers.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './lib', from: './app', message: 'lib/ must not import app/.' },
            { target: './lib', from: './components', message: 'lib/ must not import components/.' },
            { target: './lib', from: './sandbox', message: 'The app never imports the sandbox EHR.' },
            { target: './app', from: './sandbox', message: 'The app never imports the sandbox EHR.' },
            { target: './components', from: './sandbox', message: 'The app never imports the sandbox EHR.' },
            { target: './components', from: './app', message: 'components/ must not import app/.' },
            { target: './components', from: './lib/audit', message: 'UI must not touch the audit store.' },
            {
              target: './components',
              from: './lib/smart',
              message: 'UI must not touch the session or tokens.',
            },
            { target: './components', from: './lib/fhir', message: 'UI fetches only from our own routes.' },
            { target: './sandbox', from: './app', message: 'The sandbox is its own program.' },
            { target: './sandbox', from: './lib', message: 'The sandbox is its own program.' },
            { target: './sandbox', from: './components', message: 'The sandbox is its own program.' },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**', 'bench/**', 'sandbox/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
