import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { parsePageParams } from './embed/urlParams';
import { LabClient } from './store/labClient';
import { App } from './views/App';
import './views/styles.css';

const root = document.getElementById('root');
if (root) {
  const params = parsePageParams(window.location.search);
  // One worker per page, created outside React so that StrictMode's double renders cannot fork it.
  const client = new LabClient(params.scenario, params.seed);
  createRoot(root).render(
    <StrictMode>
      <App params={params} client={client} />
    </StrictMode>,
  );
}
