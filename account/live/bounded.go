package live

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// boundedClient is the SDK's HTTP client with two bounds the SDK leaves
// open: each call, its response body read to the end included, must
// finish within timeout (an endpoint that accepts and never answers, or
// trickles, fails the call instead of hanging), and a response body may
// not exceed max bytes (an endless response is cut off with an error,
// not read into memory).
func boundedClient(timeout time.Duration) *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().WithTimeout(timeout).WithTransportOptions(func(t *http.Transport) {
		t.ResponseHeaderTimeout = timeout
	})
}

// limitResponses bounds every response body the client reads to max
// bytes. It runs last in the deserialize step, so it wraps the body as the
// transport returns it, before the SDK's deserializer reads it. tripped
// is set when a body went over, so that the caller can say so whatever
// the SDK makes of the cut-off body.
func limitResponses(max int64, tripped *atomic.Bool) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("sgcLimitResponse",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp.Body != nil {
					resp.Body = &limitBody{r: resp.Body, n: max, max: max, tripped: tripped}
				}
				return out, md, err
			}), middleware.After)
	}
}

// limitBody wraps a response body so that reading past max bytes fails.
type limitBody struct {
	r       io.ReadCloser
	n       int64 // bytes left
	max     int64
	tripped *atomic.Bool
}

func (b *limitBody) Read(p []byte) (int, error) {
	if b.n <= 0 {
		b.tripped.Store(true)
		return 0, fmt.Errorf("the response is larger than %d bytes, more than EC2 sends in a page", b.max)
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	n, err := b.r.Read(p)
	b.n -= int64(n)
	return n, err
}

func (b *limitBody) Close() error { return b.r.Close() }
