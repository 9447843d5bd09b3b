export declare const BUNDLE: string;
/** Why `root`'s bundle must be rebuilt, or null when it is up to date. */
export declare function staleBecause(root: string): string | null;
