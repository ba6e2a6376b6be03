package cli

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/lsp"
)

const lspDoc = `Lsp runs sgc's language server on standard input and output (the Language
Server Protocol, 3.17): diagnostics as you type (the codes, ranges and hints
of sgc check, lint findings included), hover (a name's declaration; a
flow's AWS rules, purpose, expiry and quota cost; what a never matches), go
to definition, references, rename across files, completion of names,
keywords, ports and ICMP names, formatting (sgc fmt) and code actions (a
did-you-mean, a waiver skeleton, a later date for an expiring flow).

A policy directory is one unit: its *.intent files and sgc.hcl, with the
editor's buffers over the files on disk. Editors start it as a command:
see editors/ in the repository for VS Code, Neovim and Helix.`

func newLSPCmd(e *env) *cobra.Command {
	var now nowFlag
	cmd := &cobra.Command{
		Use:     "lsp",
		Short:   "Run the language server (stdio)",
		Long:    lspDoc,
		Example: "  sgc lsp    # started by the editor, not by hand",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := now.time()
			if err != nil {
				return err
			}
			opts := lsp.Options{}
			if now.value != "" {
				opts.Now = t
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			return lsp.Serve(ctx, stdio{e.stdin, e.stdout}, opts)
		},
	}
	now.register(cmd)
	return cmd
}

// stdio is the server's stream: standard input and output.
type stdio struct {
	io.Reader
	io.Writer
}

func (stdio) Close() error { return nil }
