#!/usr/bin/env bash
# Installs the Debian tools the oracle tests compare against, when they are missing. Idempotent; run as
# root (or with sudo available). The tests never skip an oracle: if this fails, the test run fails.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have llvm-mc || need+=(llvm)
have llvm-objdump || need+=(llvm)
have llvm-readelf || need+=(llvm)
have qemu-aarch64 || need+=(qemu-user)
have aarch64-linux-gnu-gcc || need+=(gcc-aarch64-linux-gnu)
have aarch64-linux-gnu-ld || need+=(binutils-aarch64-linux-gnu)
have clang-14 || need+=(clang-14)
have pahole || need+=(dwarves)
have xz || need+=(xz-utils)
[ -e /usr/include/bpf/bpf_helpers.h ] || need+=(libbpf-dev)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "install-oracles: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq "${need[@]}" >&2
