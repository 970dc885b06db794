/// <reference types="astro/client" />
declare module '*.mjs';
