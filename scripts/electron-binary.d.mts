/** The Electron executable, or null when it is not installed; never downloads. */
export declare function electronBinary(): string | null;
