"""The dataset published whole: dumps with checksums, and its VoID and DCAT description
with statistics counted by the queries in statistics/."""
