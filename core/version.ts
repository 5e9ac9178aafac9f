// cairn's own version: part of every artifact and of the partial-parse cache key.
export const CAIRN_VERSION = '0.1.0';
