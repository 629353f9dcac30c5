type Props = { colour: string | null | undefined; children: string };

/** Black or white, whichever reads better on a level's colour (yellow needs black, red needs white). */
export function textColourOn(colour: string): string {
  const match = /^#?([0-9a-f]{6})$/i.exec(colour.trim());
  if (!match?.[1]) return '#000000';
  const value = Number.parseInt(match[1], 16);
  const channel = (shift: number) => {
    const c = ((value >> shift) & 0xff) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
  return luminance > 0.35 ? '#000000' : '#ffffff';
}

/** A level's number and name on its own colour. */
export function LevelBadge({ colour, children }: Props) {
  const background = colour ?? '#d9dee4';
  return (
    <span className="level-badge" style={{ background, color: textColourOn(background) }}>
      {children}
    </span>
  );
}
