"""cmo-bot: explains the CMO role and how generative AI changes it, to Dutch marketing teams."""
