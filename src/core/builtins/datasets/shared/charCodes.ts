// The character codes the CSV and number readers compare bytes and texts with, defined once.

export const TAB = 0x09;
export const LF = 0x0a;
export const VERTICAL_TAB = 0x0b;
export const FORM_FEED = 0x0c;
export const CR = 0x0d;
export const SPACE = 0x20;
export const QUOTE = 0x22;
export const PLUS = 0x2b;
export const MINUS = 0x2d;
export const DOT = 0x2e;
export const ZERO = 0x30;
export const NINE = 0x39;
export const UPPER_E = 0x45;
export const LOWER_E = 0x65;
