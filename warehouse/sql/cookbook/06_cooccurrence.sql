-- Who and what appears alongside Xi Jinping (shared articles, lift, PMI)?
select * from cooccurrence('Xi Jinping') limit 10;
