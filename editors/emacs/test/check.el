;;; check.el --- headless check of editors/emacs/bib-lsp.el  -*- lexical-binding: t; -*-
;; Run by tests/editors/test_emacs.py:
;;   BIB_LSP_OUT=out.json BIB_LSP_CMD='["python","-m","bib_lsp"]' \
;;   emacs --batch -Q -l editors/emacs/bib-lsp.el -l editors/emacs/test/check.el FILE.bib
;; Opens FILE.bib, waits for Eglot's diagnostics, asks for completion and hover,
;; writes them as JSON and exits non-zero when something is missing.

(require 'json)
(setq bib-lsp-command (append (json-read-from-string (getenv "BIB_LSP_CMD")) nil))
(setq eglot-sync-connect t)

(defun bib-lsp-check--finish (result ok why)
  (with-temp-file (getenv "BIB_LSP_OUT")
    (insert (json-encode (append result `((ok . ,(if ok t :json-false)) (why . ,why))))))
  (kill-emacs (if ok 0 1)))

(let* ((file (car command-line-args-left))
       (result nil))
  (find-file file)
  (setq result `((mode . ,(symbol-name major-mode))))
  ;; `eglot-ensure' connects after the current command, and batch mode runs
  ;; none: connect now, as the hook would have.
  (unless (eglot-current-server)
    (apply #'eglot (eglot--guess-contact)))
  (let ((deadline (+ (float-time) 60)) server)
    (while (and (not (setq server (eglot-current-server))) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    (unless server (bib-lsp-check--finish result nil "no Eglot server"))
    ;; Diagnostics arrive as flymake diagnostics.
    (while (and (null (flymake-diagnostics)) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    (push `(diagnostics . ,(vconcat (mapcar (lambda (d) (flymake-diagnostic-text d))
                                             (flymake-diagnostics))))
          result)
    (unless (flymake-diagnostics) (bib-lsp-check--finish result nil "no diagnostics"))
    (let* ((doc `(:uri ,(eglot--path-to-uri file)))
           (completion (jsonrpc-request server :textDocument/completion
                                        `(:textDocument ,doc :position (:line 1 :character 2))))
           (items (if (vectorp completion) completion (plist-get completion :items)))
           (hover (jsonrpc-request server :textDocument/hover
                                   `(:textDocument ,doc :position (:line 0 :character 10)))))
      (push `(completion . ,(vconcat (mapcar (lambda (i) `((label . ,(plist-get i :label))
                                                            (sort . ,(plist-get i :sortText))))
                                             items)))
            result)
      (push `(hover . ,(plist-get (plist-get hover :contents) :value)) result)
      (bib-lsp-check--finish result (and (> (length items) 0) hover) nil))))
