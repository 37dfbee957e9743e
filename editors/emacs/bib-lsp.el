;;; bib-lsp.el --- bib-lsp, the BibTeX/biblatex language server, with Eglot  -*- lexical-binding: t; -*-

;; Load this file (or copy its forms into your init file).  It tells Eglot to
;; run `bib-lsp' for `bibtex-mode' buffers (Emacs's own mode for .bib files,
;; whose language id Eglot sends as "bibtex") and starts it in every such buffer.
;; Settings go to the server under the `bibLsp' section, e.g.
;;   (setq-default eglot-workspace-configuration
;;                 '(:bibLsp (:dialect "biblatex" :citation (:style "ieee"))))

;;; Code:

(require 'eglot)

(defcustom bib-lsp-command '("bib-lsp")
  "The command that runs the bib-lsp language server over stdio."
  :type '(repeat string)
  :group 'eglot)

(add-to-list 'eglot-server-programs
             `(bibtex-mode . ,(lambda (&optional _interactive) bib-lsp-command)))

(add-hook 'bibtex-mode-hook #'eglot-ensure)

(provide 'bib-lsp)
;;; bib-lsp.el ends here
