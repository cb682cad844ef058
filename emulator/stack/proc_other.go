//go:build !linux

package main

import (
	"os"
	"syscall"
	"time"
)

// dieWithParent sends this process SIGTERM once its parent (make, go run)
// has died — macOS has no parent-death signal, so it watches for being
// re-parented — so the stack never outlives it holding the ports.
func dieWithParent() {
	parent := os.Getppid()
	go func() {
		for range time.Tick(time.Second) {
			if os.Getppid() != parent {
				_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
				return
			}
		}
	}()
}

// childAttr puts a part in its own process group, killed as a whole when
// the stack stops (a part outliving a crashed stack is stopped by the next
// `stack up`'s port check naming the port).
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
