// placeholder; replaced by the real shell
export {};
