import adapter from '@sveltejs/adapter-static';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		// Client-side rendered app served by the uWebSockets.js process (one process, one port).
		adapter: adapter({ fallback: 'index.html', strict: false }),
		alias: {
			$sim: 'sim',
			$workers: 'workers'
		}
	}
};

export default config;
