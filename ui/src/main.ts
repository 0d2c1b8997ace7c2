import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { setLocale, systemLanguage } from './lib/i18n/index.svelte';

// The computer's language first, so the first screen never shows message keys.
await setLocale(systemLanguage());
const app = mount(App, { target: document.getElementById('app')! });

export default app;
