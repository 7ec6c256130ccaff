/**
 * The typed error base. Every error tramp64 raises on bad input is a subclass, so callers can tell
 * "your input is wrong" (a Tramp64Error, with a message saying what to do) from a bug in tramp64.
 */
export class Tramp64Error extends Error {
  /** A stable machine-readable code, e.g. 'EINVAL', 'ENCODING', 'ELF_TRUNCATED'. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A kernel-style failure carrying an errno name, as the kernel's APIs return them (-EINVAL, -EBUSY …). */
export class KernelError extends Tramp64Error {
  readonly errno: Errno;

  constructor(errno: Errno, message: string) {
    super(errno, `${errno}: ${message}`);
    this.errno = errno;
  }

  /** The negative number the kernel would return. */
  get value(): number {
    return -ERRNO_VALUES[this.errno];
  }
}

/** The errno values of asm-generic/errno-base.h and errno.h that the model returns. */
export const ERRNO_VALUES = {
  EPERM: 1,
  ENOENT: 2,
  E2BIG: 7,
  ENOEXEC: 8,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ERANGE: 34,
  ENOSPC: 28,
  ELOOP: 40,
  EOPNOTSUPP: 95,
  ENOTSUPP: 524,
} as const;

export type Errno = keyof typeof ERRNO_VALUES;
