"""Draft a fact sheet from an article: rules offline, a language model optionally, every quote
verified against the text (kg.drafting.drafter has `draft`, which `kg.draft` is)."""
