//go:build !unix

package testproc

import (
	"os/exec"
	"syscall"
)

func attrs() *syscall.SysProcAttr { return nil }

func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}
