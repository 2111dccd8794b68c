// Every difference the generator ever found, shrunk, as a permanent case. Each runs on every
// `npm test`. `known` names the switch in generators.mjs (KNOWN / UNFIXED) of a class not fixed
// yet: such a case runs as `test.failing` until the switch is turned off.
export const REGRESSIONS = [
];
