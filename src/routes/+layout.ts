// The app is client-side rendered and served as static files by the live server.
export const ssr = false;
export const prerender = false;
