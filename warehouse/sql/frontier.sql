-- The crawl frontier a cycle plans from: the seeds and feeds (sitemaps included; one that failed is only
-- revisited on its schedule), then at most $limit rows of each other tier
-- (never fetched, due for a revisit, least recently checked), each with whether its article is stored.
-- "Least recently checked" takes only pages not checked since $stale_before (now minus the first
-- revisit interval), so spare budget never hammers pages that were just checked.
with frontier as (
    select
        u.url,
        u.state,
        u.detail,
        u.final_url,
        u.relation,
        u.hops,
        u.discovered_from,
        coalesce(u.is_feed, false) as is_feed,
        u.etag,
        u.last_modified,
        u.raw_sha256,
        u.content_type,
        u.article_id,
        u.first_seen_at,
        u.http_status,
        u.last_checked_at,
        u.last_changed_at,
        u.next_due_at,
        a.article_id is not null as have_article
    from urls as u
    left join articles as a on a.article_id = u.article_id
),

tiers as (
    select
        *,
        case
            when list_contains($seeds, url) then 0
            when is_feed and (state = 'feed' or last_checked_at is null) then 1
            when last_checked_at is null then 2
            when next_due_at <= $now then 3
            when is_feed and http_status in (404, 410) then 5  -- a feed or sitemap that is not there
            when last_checked_at <= $stale_before then 4
            else 5
        end as tier
    from frontier
),

ranked as (
    select
        *,
        row_number() over (
            partition by tier
            order by
                case tier
                    when 2 then -epoch(first_seen_at)
                    when 3 then epoch(next_due_at)
                    else epoch(coalesce(last_checked_at, first_seen_at))
                end,
                url
        ) as tier_rank
    from tiers
),

final as (
    select * from ranked
    where tier <= 1 or (tier <= 4 and tier_rank <= $limit)
)

select * from final order by tier, tier_rank;
