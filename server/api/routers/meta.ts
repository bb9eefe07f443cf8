import { CURRENCIES } from '../../engine/money.js';
import { publicProcedure, router } from '../trpc.js';

export const metaRouter = router({
  /** Each currency's minor-unit exponent, so the console formats amounts exactly as the engine counts them. */
  currencies: publicProcedure.query(() => CURRENCIES),
});
