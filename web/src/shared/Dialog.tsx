import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useT } from '../i18n/I18nProvider.tsx';
import './Dialog.css';

type Props = {
  title: string;
  open: boolean;
  /** Called when the dialog is dismissed (Escape, the close button) or closed by its content. */
  onClose: () => void;
  children: ReactNode;
  tone?: 'default' | 'danger';
};

/**
 * A modal dialog on the browser's own <dialog>: focus moves in and is kept there, Escape closes it,
 * and the page behind is inert. Its content mounts only while open, so every opening starts afresh.
 */
export function Dialog({ title, open, onClose, children, tone = 'default' }: Props) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog--${tone}`}
      aria-labelledby={titleId}
      onClose={() => onCloseRef.current()}
    >
      {open && (
        <div className="dialog__body">
          <div className="dialog__header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="dialog__close" onClick={onClose}>
              <span aria-hidden="true">×</span>
              <span className="visually-hidden">{t('common.close')}</span>
            </button>
          </div>
          {children}
        </div>
      )}
    </dialog>
  );
}
