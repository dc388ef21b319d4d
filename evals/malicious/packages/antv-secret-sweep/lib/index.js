'use strict';
const React = require('react');

function EChartsReact(props) {
  const ref = React.useRef(null);
  const chart = React.useRef(null);
  const { echarts, option, notMerge = false, lazyUpdate = false, style, className, theme, opts } = props;
  React.useEffect(() => {
    chart.current = echarts.init(ref.current, theme, opts);
    return () => chart.current && chart.current.dispose();
  }, [echarts, theme, opts]);
  React.useEffect(() => {
    if (chart.current) chart.current.setOption(option, notMerge, lazyUpdate);
  }, [option, notMerge, lazyUpdate]);
  return React.createElement('div', { ref, style: { height: 300, ...style }, className: `echarts-for-react ${className || ''}` });
}

module.exports = EChartsReact;
module.exports.default = EChartsReact;
