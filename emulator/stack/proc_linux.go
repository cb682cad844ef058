package main

import "syscall"

// dieWithParent asks the kernel for SIGTERM when the parent (make, go run)
// dies, so the stack never outlives it holding the ports.
func dieWithParent() {
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0)
}

// childAttr puts a part in its own process group (killed as a whole) and
// gives it SIGTERM if this program dies.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
