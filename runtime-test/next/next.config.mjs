// The Next.js middleware example's app (runtime-test/test/next.test.mjs builds and starts it).
export default {};
