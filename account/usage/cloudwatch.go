package usage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/sgc-dev/sgc/account/live"
)

// CloudWatchOptions say which log group ReadCloudWatch reads, and how far
// back.
type CloudWatchOptions struct {
	Region, Profile string // "" for the standard chain
	LogGroup        string
	Since           time.Duration // how far back from End
	End             time.Time     // zero: now
	// Format is the flow log's format; CloudWatch events carry no header
	// (nil: the default format).
	Format *Format
	// MaxEvents bounds the events read (0: 100 million).
	MaxEvents int
}

// IAMCloudWatchActions are the permissions ReadCloudWatch needs.
var IAMCloudWatchActions = []string{"logs:FilterLogEvents"}

// ReadCloudWatch streams the flow log records of a CloudWatch Logs group
// (every stream, the window's events page by page) to fn, as Read does
// for a file; the standard credential chain and endpoint settings apply
// (AWS_ENDPOINT_URL_CLOUDWATCH_LOGS points it elsewhere).
func ReadCloudWatch(ctx context.Context, opts CloudWatchOptions, fn func(*Record)) (Stats, error) {
	var st Stats
	if opts.LogGroup == "" {
		return st, errors.New("no log group")
	}
	format := opts.Format
	if format == nil {
		format = DefaultFormat
	}
	cfg, err := live.LoadConfig(ctx, opts.Region, opts.Profile)
	if err != nil {
		return st, err
	}
	end := opts.End
	if end.IsZero() {
		end = time.Now()
	}
	max := opts.MaxEvents
	if max == 0 {
		max = 100_000_000
	}
	client := cloudwatchlogs.NewFromConfig(cfg)
	pages := cloudwatchlogs.NewFilterLogEventsPaginator(client, &cloudwatchlogs.FilterLogEventsInput{
		LogGroupName: aws.String(opts.LogGroup),
		StartTime:    aws.Int64(end.Add(-opts.Since).UnixMilli()),
		EndTime:      aws.Int64(end.UnixMilli()),
	}, func(o *cloudwatchlogs.FilterLogEventsPaginatorOptions) { o.StopOnDuplicateToken = true })
	var (
		rec  Record
		cols = make([]string, 0, 64)
		seen = 0
	)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return st, fmt.Errorf("logs:FilterLogEvents on %s: %w", opts.LogGroup, err)
		}
		for _, ev := range page.Events {
			if seen++; seen > max {
				return st, fmt.Errorf("more than %d events in the window: give a shorter --since", max)
			}
			msg := aws.ToString(ev.Message)
			if len(msg) > MaxLine {
				st.Malformed++
				continue
			}
			st.feed(format, msg, cols, &rec, fn, func() string { return "event " + aws.ToString(ev.EventId) })
		}
	}
	return st, nil
}
