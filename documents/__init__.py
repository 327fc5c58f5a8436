"""The practice's documents as PDFs: the contract, the graduation certificate and (with the
billing app) the invoice. Views only: each document is its page's template body rendered by
coaching.pdf, for exactly the people who may read the page. See documents/README.md."""
