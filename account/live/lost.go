package live

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// A change whose answer was lost may have been made. The SDK retries a
// call whose connection broke (a reset, a closed connection: Go's
// transport closes one while an answer is read, aws-sdk-go-v2#2737), and
// AuthorizeSecurityGroup* and RevokeSecurityGroup* are not idempotent:
// when the first attempt was made and only its answer was lost, the retry
// is refused as a duplicate (InvalidPermission.Duplicate) or as a rule
// that is not there (InvalidPermission.NotFound). That refusal says the
// change is in place, and revert goes on; without an attempt whose answer
// was lost, the same refusal means the account changed since it was read,
// and revert stops as before.

// attempts records whether an attempt of one call ended without an answer
// from EC2 (no response, or one that could not be read).
type attempts struct{ unanswered atomic.Bool }

type attemptsKey struct{}

// recordAttempts is a client option: each attempt of a call whose
// context carries an *attempts records there whether it went unanswered.
// It runs inside the SDK's retry loop, once per attempt.
func recordAttempts(stack *middleware.Stack) error {
	return stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc("sgcRecordAttempts",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleFinalize(ctx, in)
			var apiErr smithy.APIError
			if a, ok := ctx.Value(attemptsKey{}).(*attempts); ok && err != nil && !errors.As(err, &apiErr) && ctx.Err() == nil {
				a.unanswered.Store(true)
			}
			return out, md, err
		}), "Retry", middleware.After)
}

// madeBefore reports whether err, the refusal of change kind after an
// attempt whose answer was lost, says that attempt made the change.
func madeBefore(kind ChangeKind, err error) bool {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	switch code := apiErr.ErrorCode(); kind {
	case Authorize:
		return code == "InvalidPermission.Duplicate"
	case Revoke:
		return code == "InvalidPermission.NotFound" || code == "InvalidSecurityGroupRuleId.NotFound"
	}
	return false
}
