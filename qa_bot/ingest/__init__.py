"""Reading documents: formats, safe reads, cleaning, sentences, speakers, entities."""
