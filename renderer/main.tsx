// Carbon's base styles first, so each component's own stylesheet (imported below) wins ties.
import './styles/index.scss';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { createBackend } from './backend/index.js';
import { RouterProvider } from './router/router.js';

const backend = createBackend();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <RouterProvider>
      <App backend={backend} />
    </RouterProvider>
  </StrictMode>,
);
