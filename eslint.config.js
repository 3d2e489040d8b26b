// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

/**
 * Layers only import downward:
 *   shared/   ← imported by everyone, imports no other layer
 *   server/   ← may import shared/
 *   renderer/ ← may import shared/ (never server/ or electron/)
 *   electron/ ← may import shared/; only its wiring files import `electron`
 *   electron/preload/ runs in the renderer's sandbox: shared/ and (preload.ts only) `electron`;
 *                     no Node built-ins, no main-process module
 */
const ELECTRON_WIRING = ['electron/main.ts', 'electron/preload/preload.ts', 'electron/wiring/**/*.ts'];
const PRELOAD = ['electron/preload/**/*.ts'];
const noElectron = { name: 'electron', message: 'Only electron/main.ts, electron/preload/preload.ts and electron/wiring/ may import electron; put logic in plain modules.' };
// Carbon's text and password inputs leave an invalid field undescribed by its message (axe fails the page), and its Checkbox its helper text: renderer/components/Fields fixes them once.
const carbonFields = { name: '@carbon/react', importNames: ['TextInput', 'PasswordInput', 'Checkbox'], message: 'Import TextInput / PasswordInput / Checkbox from renderer/components/Fields (their error message and helper text are described; axe AA).' };
const NODE_BUILTINS = [...builtinModules.filter((m) => !m.startsWith('_')), ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'test-results/', 'bench/out/', 'build/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [
          { group: ['**/server/**', '**/renderer/**', '**/electron/**'], message: 'shared/ is the bottom layer: it imports no other layer.' },
          { group: ['node:*', 'fs', 'path', 'crypto'], message: 'shared/ runs in the browser too: no Node built-ins.' },
        ],
      }],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ group: ['**/renderer/**', '**/electron/**'], message: 'server/ may import only shared/.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        paths: [noElectron, carbonFields],
        patterns: [
          { group: ['**/server/**', '**/electron/**'], message: 'renderer/ may import only shared/ (it talks to the server through the TabApi client).' },
          { group: ['node:*'], message: 'renderer/ runs in a browser: no Node built-ins.' },
        ],
      }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: [...ELECTRON_WIRING, ...PRELOAD],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron],
        patterns: [{ group: ['**/server/**', '**/renderer/**'], message: 'electron/ may import only shared/.' }],
      }],
    },
  },
  {
    // The preload and the bridge run in the sandboxed renderer: what they may import is what a sandboxed preload can load.
    files: PRELOAD,
    rules: {
      'no-restricted-imports': ['error', {
        paths: NODE_BUILTINS.map((name) => ({ name, message: 'electron/preload/ runs in the renderer sandbox: no Node built-ins.' })),
        patterns: [
          {
            regex: '^\\.\\./(?!\\.\\./shared/)',
            message: 'electron/preload/ may import only shared/ and its own folder: main-process modules stay in main.',
          },
          { group: ['**/server/**', '**/renderer/**'], message: 'electron/ may import only shared/.' },
        ],
      }],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    ignores: ['electron/preload/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron, ...NODE_BUILTINS.map((name) => ({ name, message: 'electron/preload/ runs in the renderer sandbox: no Node built-ins.' }))],
        patterns: [
          { regex: '^\\.\\./(?!\\.\\./shared/)', message: 'electron/preload/ may import only shared/ and its own folder: main-process modules stay in main.' },
          { group: ['**/server/**', '**/renderer/**'], message: 'electron/ may import only shared/.' },
        ],
      }],
    },
  },
  {
    files: ELECTRON_WIRING.filter((f) => !f.startsWith('electron/preload/')),
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/server/**', '**/renderer/**'], message: 'electron/ may import only shared/.' }],
      }],
    },
  },
);
