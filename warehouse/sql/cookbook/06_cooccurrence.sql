-- Who and what appears alongside Xi Jinping (shared articles, lift, PMI)?
-- Counted over each article's eight most salient entities; cooccurrence_all counts every mention.
select * from cooccurrence('Xi Jinping') limit 10;
