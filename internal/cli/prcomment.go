package cli

import (
	"fmt"
	"os"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/ghcomment"
	"github.com/sgc-dev/sgc/internal/limits"
)

// repoName is GitHub's owner/name: what goes into the API's paths.
var repoName = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

const prCommentDoc = `pr-comment keeps one comment of sgc's on a GitHub pull request: the
first run posts FILE (or standard input, -) as a comment, every later run
edits that comment in place, so the pull request carries one review of its
intent however often it is pushed. Other comments are never touched.

It reads GITHUB_TOKEN (a token that may write the pull request's
comments), GITHUB_REPOSITORY (owner/name) and GITHUB_API_URL (default
https://api.github.com), as GitHub Actions sets them; the action.yml at the
root of sgc's repository runs it after sgc diff.`

func newPRCommentCmd(e *env) *cobra.Command {
	var (
		pr   int
		repo string
	)
	cmd := &cobra.Command{
		Use:     "pr-comment FILE|- --pr N",
		Short:   "Post or update sgc's one comment on a GitHub pull request",
		Long:    prCommentDoc,
		Example: "  sgc diff --git origin/main policy/ --format markdown > review.md\n  sgc pr-comment review.md --pr 42",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if repo == "" {
				repo = os.Getenv("GITHUB_REPOSITORY")
			}
			if !repoName.MatchString(repo) {
				return usageErrorf("--repo %q: want owner/name (or set GITHUB_REPOSITORY)", repo)
			}
			if pr <= 0 {
				return usageErrorf("--pr: want the pull request's number")
			}
			token := os.Getenv("GITHUB_TOKEN")
			if token == "" {
				return usageErrorf("GITHUB_TOKEN is not set: the comment needs a token that may write the pull request's comments")
			}
			api := os.Getenv("GITHUB_API_URL")
			if api == "" {
				api = "https://api.github.com"
			}
			var (
				body []byte
				err  error
			)
			if args[0] == "-" {
				body, err = fsutil.ReadLimited(e.stdin, "standard input", limits.IntentFile)
			} else {
				body, err = fsutil.ReadRegular(args[0], limits.IntentFile)
			}
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			c := &ghcomment.Client{API: api, Repo: repo, Token: token}
			id, created, err := c.Upsert(cmd.Context(), pr, string(body))
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			verb := "updated"
			if created {
				verb = "posted"
			}
			fmt.Fprintf(e.stderr, "%s comment %d on %s#%d\n", verb, id, repo, pr)
			return nil
		},
	}
	cmd.Flags().IntVar(&pr, "pr", 0, "the pull request's number")
	cmd.Flags().StringVar(&repo, "repo", "", "owner/name (default: GITHUB_REPOSITORY)")
	return cmd
}
