// Package ghcomment keeps one comment of sgc's on a GitHub pull request up
// to date: the first run posts it, every later run edits that comment in
// place (found by a hidden marker), so a pull request carries one review
// of its intent, not one per push. It speaks GitHub's REST API with the
// standard library (the token and API URL the Actions runner gives).
package ghcomment

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

// loginForm is a GitHub login. Both forms are compiled on first use:
// their bounded repetitions compile to large programs, which every
// command paid for at start-up.
var loginForm = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,38}$`)
})

// ownerForm is a GitHub login, or an organization and a team's slug.
var ownerForm = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,38}(?:/[A-Za-z0-9_.-]{1,100})?$`)
})

// ValidOwner reports whether s is an owner's form: a GitHub user, or an
// organization and a team's slug, what a pull request's review can be
// requested from (the language's group … owner, sgc.hcl's owners).
func ValidOwner(s string) bool { return ownerForm().MatchString(s) }

// Marker is the hidden first line that identifies sgc's comment.
const Marker = "<!-- sgc: pull request review -->"

// MaxBody is GitHub's limit on a comment's body, in characters.
const MaxBody = 65536

// maxPages bounds the pages of comments read (100 a page).
const maxPages = 50

// Client posts to one repository's pull requests.
type Client struct {
	API   string // https://api.github.com, or GITHUB_API_URL
	Repo  string // owner/name
	Token string
	HTTP  *http.Client
}

type comment struct {
	ID   int64  `json:"id"`
	Body string `json:"body"`
}

// Upsert makes body sgc's comment on pull request pr: it edits the comment
// an earlier run posted, or posts one. It returns the comment's id and
// whether it was created.
func (c *Client) Upsert(ctx context.Context, pr int, body string) (id int64, created bool, err error) {
	body = Marker + "\n" + body
	if n := len([]rune(body)); n > MaxBody {
		const cut = "\n\n… (cut: the review is longer than a GitHub comment; run sgc diff for all of it)"
		body = string([]rune(body)[:MaxBody-len([]rune(cut))]) + cut
	}
	existing, err := c.find(ctx, pr)
	if err != nil {
		return 0, false, err
	}
	payload, _ := json.Marshal(map[string]string{"body": body})
	if existing != 0 {
		var out comment
		err := c.do(ctx, http.MethodPatch, fmt.Sprintf("/repos/%s/issues/comments/%d", c.Repo, existing), payload, &out)
		return existing, false, err
	}
	var out comment
	err = c.do(ctx, http.MethodPost, fmt.Sprintf("/repos/%s/issues/%d/comments", c.Repo, pr), payload, &out)
	return out.ID, true, err
}

// find returns the id of sgc's comment on pr, or 0.
func (c *Client) find(ctx context.Context, pr int) (int64, error) {
	for page := 1; page <= maxPages; page++ {
		var comments []comment
		if err := c.do(ctx, http.MethodGet, fmt.Sprintf("/repos/%s/issues/%d/comments?per_page=100&page=%d", c.Repo, pr, page), nil, &comments); err != nil {
			return 0, err
		}
		for _, cm := range comments {
			if strings.HasPrefix(cm.Body, Marker) {
				return cm.ID, nil
			}
		}
		if len(comments) < 100 {
			return 0, nil
		}
	}
	return 0, nil
}

// do makes one API call and decodes its answer into out.
func (c *Client) do(ctx context.Context, method, path string, payload []byte, out any) error {
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.API, "/")+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		msg := strings.TrimSpace(string(data))
		if len(msg) > 300 {
			msg = msg[:300]
		}
		return fmt.Errorf("GitHub answered %s to %s %s: %s", resp.Status, method, strings.SplitN(path, "?", 2)[0], msg)
	}
	if out == nil || len(data) == 0 {
		return nil
	}
	return json.Unmarshal(data, out)
}

// RequestReviewers asks the owners (GitHub users, or org/team for a team
// of the repository's organization) to review pull request pr. GitHub
// ignores a request to someone already asked, and refuses the author of
// the pull request, which is said in the error.
func (c *Client) RequestReviewers(ctx context.Context, pr int, owners []string) error {
	var users, teams []string
	for _, o := range owners {
		if _, team, ok := strings.Cut(o, "/"); ok {
			teams = append(teams, team)
		} else {
			users = append(users, o)
		}
	}
	if len(users)+len(teams) == 0 {
		return nil
	}
	payload, _ := json.Marshal(map[string][]string{"reviewers": nonNil(users), "team_reviewers": nonNil(teams)})
	return c.do(ctx, http.MethodPost, fmt.Sprintf("/repos/%s/pulls/%d/requested_reviewers", c.Repo, pr), payload, nil)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Missing returns the owners of whom no approval of pull request pr is on
// record: a user's own latest review is not APPROVED, or no member of a
// team has an APPROVED latest review. Reading a team's members takes a
// token that may read the organization (read:org).
func (c *Client) Missing(ctx context.Context, pr int, owners []string) ([]string, error) {
	type review struct {
		User struct {
			Login string `json:"login"`
		} `json:"user"`
		State string `json:"state"`
	}
	latest := map[string]string{} // login -> state of their latest review
	for page := 1; page <= maxPages; page++ {
		var reviews []review
		if err := c.do(ctx, http.MethodGet, fmt.Sprintf("/repos/%s/pulls/%d/reviews?per_page=100&page=%d", c.Repo, pr, page), nil, &reviews); err != nil {
			return nil, err
		}
		for _, r := range reviews {
			if r.State == "APPROVED" || r.State == "CHANGES_REQUESTED" || r.State == "DISMISSED" {
				latest[strings.ToLower(r.User.Login)] = r.State // in order: the last one counts
			}
		}
		if len(reviews) < 100 {
			break
		}
	}
	var missing []string
	for _, o := range owners {
		org, team, isTeam := strings.Cut(o, "/")
		if !isTeam {
			if latest[strings.ToLower(o)] != "APPROVED" {
				missing = append(missing, o)
			}
			continue
		}
		approved := false
		for login, state := range latest {
			if state != "APPROVED" || !loginForm().MatchString(login) {
				continue // an answer's login goes into a path only in GitHub's form
			}
			var m struct {
				State string `json:"state"`
			}
			err := c.do(ctx, http.MethodGet, fmt.Sprintf("/orgs/%s/teams/%s/memberships/%s", org, team, login), nil, &m)
			if err == nil && m.State == "active" {
				approved = true
				break
			}
		}
		if !approved {
			missing = append(missing, o)
		}
	}
	return missing, nil
}
