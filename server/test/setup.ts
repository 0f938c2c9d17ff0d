import { testDatabase } from '@obmeet/test-kit';

/** Root hooks: one FerretDB for the whole run, stopped at the end. */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    await testDatabase();
  },
  async afterAll() {
    await (await testDatabase()).stop();
  },
};
