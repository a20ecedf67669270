"""Coach: answers from the notes, mock interviews, and the LLM client they may use."""
