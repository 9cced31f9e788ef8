/** Paper trading: the backtester's rule on live bars, filled at live quotes, kept as a journal of events. */
export type * from './types';
export { ruleDecisions, type Decision } from './decisions';
export { bookCurve, bookEquity, foldBook, type BookState, type BookTotals, type OpenLegs } from './book';
export { stepBook, type LegMarket, type StepMarket, type StepResult } from './step';
export { checkPaperEvents } from './validate';
