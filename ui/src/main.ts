import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { api } from './lib/api';
import { loadCatalogue, setLocale, systemLanguage } from './lib/i18n/index.svelte';
import { prefetchPlanLists } from './lib/planLists';

// The language chosen in Ferry (else the computer's) is loaded before anything is drawn:
// no first frame in another language. The computer's catalogue loads while the settings
// are read, as it is usually the one, and so does the library's plan list. App shows
// the error if the settings cannot be read.
const settings = api.settingsGet();
const lists = prefetchPlanLists();
void loadCatalogue(systemLanguage()).catch(() => {});
await setLocale((await settings.catch(() => null))?.language ?? systemLanguage());
await lists;
const app = mount(App, { target: document.getElementById('app')!, props: { settings } });

export default app;
