package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"

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
		pr        int
		repo      string
		reviewers string
	)
	cmd := &cobra.Command{
		Use:     "pr-comment FILE|- --pr N",
		Short:   "Post or update sgc's one comment on a GitHub pull request",
		Long:    prCommentDoc,
		Example: "  sgc diff --git origin/main policy/ --format markdown > review.md\n  sgc pr-comment review.md --pr 42",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := githubClient(repo, pr)
			if err != nil {
				return err
			}
			var body []byte
			if args[0] == "-" {
				body, err = fsutil.ReadLimited(e.stdin, "standard input", limits.IntentFile)
			} else {
				body, err = fsutil.ReadRegular(args[0], limits.IntentFile)
			}
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			id, created, err := c.Upsert(cmd.Context(), pr, string(body))
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			verb := "updated"
			if created {
				verb = "posted"
			}
			fmt.Fprintf(e.stderr, "%s comment %d on %s#%d\n", verb, id, c.Repo, pr)
			if reviewers == "" {
				return nil
			}
			owners, err := approvalOwners(reviewers)
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			if err := c.RequestReviewers(cmd.Context(), pr, owners); err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			if len(owners) > 0 {
				fmt.Fprintf(e.stderr, "asked %s for review\n", strings.Join(owners, ", "))
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&pr, "pr", 0, "the pull request's number")
	cmd.Flags().StringVar(&repo, "repo", "", "owner/name (default: GITHUB_REPOSITORY)")
	cmd.Flags().StringVar(&reviewers, "request-reviewers", "", "the JSON of sgc diff --format json: ask the owners whose approval it lists for review")
	return cmd
}

// approvalOwners reads the owners whose approval a diff's JSON lists,
// each in the form the language allows (nothing else reaches the API).
func approvalOwners(path string) ([]string, error) {
	data, err := fsutil.ReadRegular(path, limits.IntentFile)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Approvals []struct {
			Owner string `json:"owner"`
		} `json:"approvals"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: not the JSON of sgc diff: %v", path, err)
	}
	var owners []string
	for _, a := range doc.Approvals {
		if !ghcomment.ValidOwner(a.Owner) {
			return nil, fmt.Errorf("%s: owner %q is neither a GitHub user nor an org/team", path, a.Owner)
		}
		owners = append(owners, a.Owner)
	}
	return owners, nil
}

const prApprovedDoc = `pr-approved says whether every owner whose approval a change needs (the
approvals in the JSON of sgc diff) has approved the pull request: a user by
their own latest review, an org/team by the latest review of one of its
members (reading a team's members takes a token with read:org). Exit 0 when
all have, 1 listing those who have not. It reads GITHUB_TOKEN,
GITHUB_REPOSITORY and GITHUB_API_URL as pr-comment does.`

func newPRApprovedCmd(e *env) *cobra.Command {
	var pr int
	cmd := &cobra.Command{
		Use:     "pr-approved DIFF.json --pr N",
		Short:   "Whether the owners a change needs have approved the pull request",
		Long:    prApprovedDoc,
		Example: "  sgc diff --git origin/main policy/ --format json > review.json\n  sgc pr-approved review.json --pr 42",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := githubClient("", pr)
			if err != nil {
				return err
			}
			owners, err := approvalOwners(args[0])
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			missing, err := c.Missing(cmd.Context(), pr, owners)
			if err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			if len(missing) > 0 {
				fmt.Fprintf(e.stdout, "not yet approved by: %s\n", strings.Join(missing, ", "))
				return findings
			}
			fmt.Fprintf(e.stdout, "approved by every owner the change needs (%d)\n", len(owners))
			return nil
		},
	}
	cmd.Flags().IntVar(&pr, "pr", 0, "the pull request's number")
	return cmd
}

// githubClient is the API client the environment gives (GITHUB_TOKEN,
// GITHUB_REPOSITORY unless repo is given, GITHUB_API_URL), for pull
// request pr.
func githubClient(repo string, pr int) (*ghcomment.Client, error) {
	if repo == "" {
		repo = os.Getenv("GITHUB_REPOSITORY")
	}
	if !repoName.MatchString(repo) {
		return nil, usageErrorf("--repo %q: want owner/name (or set GITHUB_REPOSITORY)", repo)
	}
	if pr <= 0 {
		return nil, usageErrorf("--pr: want the pull request's number")
	}
	token := os.Getenv("GITHUB_TOKEN")
	if token == "" {
		return nil, usageErrorf("GITHUB_TOKEN is not set: the comment needs a token that may write the pull request's comments")
	}
	api := os.Getenv("GITHUB_API_URL")
	if api == "" {
		api = "https://api.github.com"
	}
	return &ghcomment.Client{API: api, Repo: repo, Token: token}, nil
}
