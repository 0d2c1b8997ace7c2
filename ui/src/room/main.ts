import { mount } from 'svelte';
import '../app.css';
import RoomPage from './RoomPage.svelte';
import { setLocale, systemLanguage } from '../lib/i18n/index.svelte';

// The phone's language first; the page offers the others.
await setLocale(systemLanguage());
mount(RoomPage, { target: document.getElementById('room')! });
