import { render } from 'preact';
import { App } from './app';
import { loadConfig } from './config';
import './styles.css';

const root = document.getElementById('app');
if (root) {
  loadConfig().then(
    () => render(<App />, root),
    (err: Error) => {
      root.innerHTML = '';
      const p = document.createElement('p');
      p.setAttribute('role', 'alert');
      p.textContent = `The console could not start: ${err.message}`;
      root.append(p);
    },
  );
}
