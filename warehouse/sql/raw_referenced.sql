-- Which of the raw bodies in temp table raw_candidates (sha) an article or a frontier row still refers to;
-- the others may be collected once they are older than raw_retention_days.
with referenced as (
    select raw_sha256 as sha from articles
    union
    select raw_sha256 as sha from urls
),

final as (
    select c.sha
    from raw_candidates as c
    semi join referenced as r on r.sha = c.sha
)

select * from final;
